from(bucket: "b")
  |> range(start: -1h)
  |> tripleEMA(n: params.n)
