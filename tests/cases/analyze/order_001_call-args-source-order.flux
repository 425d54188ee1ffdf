from(bucket: "b")
  |> range(start: -1h)
  |> quantile(column: params.x, q: params.x)
