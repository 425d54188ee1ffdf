from(bucket: "b")
  |> range(start: -1h)
  |> lowestAverage(n: params.n)
