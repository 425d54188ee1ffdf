from(bucket: params.x)
  |> range(start: -1h)
  |> limit(n: params.x)
  |> sort(desc: params.x)
