from(bucket: "b")
  |> range(start: -1h)
  |> min(column: params.column)
