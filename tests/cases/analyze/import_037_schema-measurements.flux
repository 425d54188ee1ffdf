import "influxdata/influxdb/schema"

schema.measurements(bucket: params.bucket)
