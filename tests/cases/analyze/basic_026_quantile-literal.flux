from(bucket: "metrics")
  |> range(start: -1h)
  |> quantile(q: 0.99, column: params.col)
