from(bucket: params["bucket"])
  |> range(start: -1h)
  |> limit(n: params["limit"])
