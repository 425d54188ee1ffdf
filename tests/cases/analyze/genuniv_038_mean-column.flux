from(bucket: "b")
  |> range(start: -1h)
  |> mean(column: params.column)
