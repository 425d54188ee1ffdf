from(bucket: "b")
  |> range(start: -1h)
  |> sort(columns: params.columns)
