from(bucket: "b")
  |> range(start: -1h)
  |> median(column: params.column)
