from(bucket: "b")
  |> range(start: -1h)
  |> stddev(column: params.column)
