from(bucket: "b")
  |> range(start: -1h)
  |> relativeStrengthIndex(n: params.n)
