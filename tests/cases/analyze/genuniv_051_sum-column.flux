from(bucket: "b")
  |> range(start: -1h)
  |> sum(column: params.column)
