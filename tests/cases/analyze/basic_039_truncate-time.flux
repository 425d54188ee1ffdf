from(bucket: params.bucket)
  |> range(start: -1d)
  |> truncateTimeColumn(unit: params.unit)
