from(bucket: "b")
  |> range(start: -1h)
  |> timeWeightedAvg(unit: params.unit)
