from(bucket: params.bucket)
  |> range(start: -1h)
  |> keep(columns: params.columns)
