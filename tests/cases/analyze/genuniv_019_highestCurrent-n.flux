from(bucket: "b")
  |> range(start: -1h)
  |> highestCurrent(n: params.n)
