from(bucket: params.bucket)
  |> range(start: -1h)
  |> window(every: params.every)
  |> limit(n: params.every)
