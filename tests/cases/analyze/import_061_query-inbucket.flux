import "experimental/query"

query.inBucket(bucket: params.bucket, measurement: params.measurement, start: params.start, fields: params.fields)
