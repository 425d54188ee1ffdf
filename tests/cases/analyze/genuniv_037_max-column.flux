from(bucket: "b")
  |> range(start: -1h)
  |> max(column: params.column)
