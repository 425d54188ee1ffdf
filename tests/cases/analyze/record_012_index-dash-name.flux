from(bucket: params["my-bucket"])
  |> range(start: -1h)
