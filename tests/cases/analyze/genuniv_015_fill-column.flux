from(bucket: "b")
  |> range(start: -1h)
  |> fill(column: params.column)
