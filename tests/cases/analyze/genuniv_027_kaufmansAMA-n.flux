from(bucket: "b")
  |> range(start: -1h)
  |> kaufmansAMA(n: params.n)
