from(bucket: "b")
  |> range(start: -1h)
  |> drop(columns: params.columns)
