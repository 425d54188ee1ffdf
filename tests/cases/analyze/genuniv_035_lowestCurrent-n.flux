from(bucket: "b")
  |> range(start: -1h)
  |> lowestCurrent(n: params.n)
