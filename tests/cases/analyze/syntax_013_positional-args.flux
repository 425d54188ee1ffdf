from(params.bucket)
  |> range(start: -1h)
