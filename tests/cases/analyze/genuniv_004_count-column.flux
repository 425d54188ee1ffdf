from(bucket: "b")
  |> range(start: -1h)
  |> count(column: params.column)
