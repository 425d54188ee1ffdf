from(bucket: params.bucket, org: params.org)
  |> range(start: -5m)
  |> filter(fn: (r) => r._measurement == "disk")
