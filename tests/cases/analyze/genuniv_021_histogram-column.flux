from(bucket: "b")
  |> range(start: -1h)
  |> histogram(column: params.column, bins: [1.0, 2.0])
