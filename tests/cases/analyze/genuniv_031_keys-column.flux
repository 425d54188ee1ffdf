from(bucket: "b")
  |> range(start: -1h)
  |> keys(column: params.column)
