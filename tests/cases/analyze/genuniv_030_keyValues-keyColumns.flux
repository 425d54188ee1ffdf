from(bucket: "b")
  |> range(start: -1h)
  |> keyValues(keyColumns: params.keyColumns)
