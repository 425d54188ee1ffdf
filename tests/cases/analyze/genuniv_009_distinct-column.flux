from(bucket: "b")
  |> range(start: -1h)
  |> distinct(column: params.column)
