from(bucket: "b")
  |> range(start: -1h)
  |> spread(column: params.column)
