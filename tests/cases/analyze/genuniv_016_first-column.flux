from(bucket: "b")
  |> range(start: -1h)
  |> first(column: params.column)
