from(bucket: params.bucket)
  |> range(start: -1h)
  |> sort(columns: params.sortBy)
