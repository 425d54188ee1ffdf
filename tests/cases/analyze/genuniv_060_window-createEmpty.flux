from(bucket: "b")
  |> range(start: -1h)
  |> window(createEmpty: params.createEmpty)
