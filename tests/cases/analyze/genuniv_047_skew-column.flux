from(bucket: "b")
  |> range(start: -1h)
  |> skew(column: params.column)
