from(bucket: "b")
  |> range(start: -1h)
  |> lowestMin(n: params.n)
