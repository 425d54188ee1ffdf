vals = from(bucket: params.bucket)
  |> range(start: -1h)
  |> getColumn(column: params.column)

vals[0] + 1.0
