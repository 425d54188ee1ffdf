from(bucket: "b")
  |> range(start: -1h)
  |> highestAverage(n: params.n)
