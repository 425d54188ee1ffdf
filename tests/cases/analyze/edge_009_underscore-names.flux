from(bucket: params._bucket)
  |> range(start: -1h)
  |> limit(n: params.limit_2)
