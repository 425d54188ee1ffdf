from(bucket: "b")
  |> range(start: -1h)
  |> increase(columns: params.columns)
