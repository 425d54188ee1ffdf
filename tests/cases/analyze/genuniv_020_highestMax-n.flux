from(bucket: "b")
  |> range(start: -1h)
  |> highestMax(n: params.n)
