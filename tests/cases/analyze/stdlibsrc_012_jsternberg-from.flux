import "contrib/jsternberg/influxdb"

influxdb._from(bucket: params.bucket, start: params.start, host: params.host)
    |> filter(fn: (r) => r._measurement == params.measurement)
