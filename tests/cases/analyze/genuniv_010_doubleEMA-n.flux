from(bucket: "b")
  |> range(start: -1h)
  |> doubleEMA(n: params.n)
