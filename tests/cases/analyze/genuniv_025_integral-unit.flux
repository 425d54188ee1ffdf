from(bucket: "b")
  |> range(start: -1h)
  |> integral(unit: params.unit)
