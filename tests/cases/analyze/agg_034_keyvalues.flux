from(bucket: params.bucket)
  |> range(start: -1h)
  |> keyValues(keyColumns: params.keyColumns)
