from(bucket: params.bucket)
  |> range(start: -1h)
  |> bottom(n: params.n + 1)
