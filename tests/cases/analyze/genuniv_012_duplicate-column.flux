from(bucket: "b")
  |> range(start: -1h)
  |> duplicate(column: params.column, as: "x")
