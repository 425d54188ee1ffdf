from(bucket: params.)
  |> range(start: -1h)
