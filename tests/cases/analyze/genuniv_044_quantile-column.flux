from(bucket: "b")
  |> range(start: -1h)
  |> quantile(column: params.column, q: 0.5)
