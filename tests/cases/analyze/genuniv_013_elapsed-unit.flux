from(bucket: "b")
  |> range(start: -1h)
  |> elapsed(unit: params.unit)
