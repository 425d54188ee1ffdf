query = (bucket, m) =>
    from(bucket: bucket)
        |> range(start: -1h)
        |> filter(fn: (r) => r._measurement == m)

query(bucket: params.bucket, m: params.measurement)
  |> yield()
