import "influxdata/influxdb/v1"

v1.tagValues(bucket: params.bucket, tag: params.tag, predicate: (r) => r._measurement == params.measurement)
