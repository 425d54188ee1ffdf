import "influxdata/influxdb/schema"

schema.tagValues(bucket: params.bucket, tag: params.tag, start: params.start)
