from(bucket: params.config.bucket)
  |> range(start: -1h)
  |> limit(n: params.config.limit)
