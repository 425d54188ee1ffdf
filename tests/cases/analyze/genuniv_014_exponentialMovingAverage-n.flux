from(bucket: "b")
  |> range(start: -1h)
  |> exponentialMovingAverage(n: params.n)
