import "influxdata/influxdb/schema"

schema.measurementTagValues(bucket: params.bucket, measurement: params.measurement, tag: "host")
