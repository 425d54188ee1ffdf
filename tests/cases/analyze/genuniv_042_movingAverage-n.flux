from(bucket: "b")
  |> range(start: -1h)
  |> movingAverage(n: params.n)
