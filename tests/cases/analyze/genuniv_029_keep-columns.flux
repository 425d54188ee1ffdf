from(bucket: "b")
  |> range(start: -1h)
  |> keep(columns: params.columns)
