from(bucket: "b")
  |> range(start: -1h)
  |> columns(column: params.column)
