from(bucket: "b")
  |> range(start: -1h)
  |> derivative(unit: params.unit)
