from(bucket: params.bucket)
  |> range(start: -1h)
  |> elapsed(unit: params.unit, columnName: params.name)
