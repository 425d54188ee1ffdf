from(bucket: "b")
  |> range(start: -1h)
  |> cumulativeSum(columns: params.columns)
