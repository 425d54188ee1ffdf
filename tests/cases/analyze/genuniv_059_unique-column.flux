from(bucket: "b")
  |> range(start: -1h)
  |> unique(column: params.column)
