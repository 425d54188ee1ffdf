from(bucket: "b"
  |> range(start: -1h)
