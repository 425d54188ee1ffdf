from(bucket: params.bucket)
  |> range(start: -1h)
  |> cumulativeSum(columns: params.columns)
