from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: params.pred)
