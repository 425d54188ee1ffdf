from(bucket: "b")
  |> range(start: -1h)
  |> mode(column: params.column)
