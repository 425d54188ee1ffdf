from(bucket: params.bucket)
  |> range(start: -1h)
  |> stddev(mode: params.mode)
