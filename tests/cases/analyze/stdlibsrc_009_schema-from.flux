import "influxdata/influxdb/schema"

schema._from(bucket: params.bucket, org: params.org)
    |> filter(fn: (r) => r._value == params.value)
