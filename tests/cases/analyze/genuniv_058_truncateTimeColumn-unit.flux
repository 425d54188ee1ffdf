from(bucket: "b")
  |> range(start: -1h)
  |> truncateTimeColumn(unit: params.unit)
