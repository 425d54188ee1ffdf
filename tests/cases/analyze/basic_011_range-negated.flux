from(bucket: "b")
  |> range(start: -params.window)
  |> max()
