from(bucket: "b")
  |> range(start: -1h)
  |> difference(nonNegative: params.nonNegative)
