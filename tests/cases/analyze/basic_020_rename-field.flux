from(bucket: params.bucket)
  |> range(start: -1h)
  |> rename(columns: {_value: params.newName})
