from(bucket: "b")
  |> range(start: -1h)
  |> quantile(q: params.x, column: params.x)
