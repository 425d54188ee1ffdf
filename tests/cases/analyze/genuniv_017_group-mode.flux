from(bucket: "b")
  |> range(start: -1h)
  |> group(mode: params.mode)
