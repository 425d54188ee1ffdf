from(bucket: "b")
  |> range(start: -1d)
  |> window(every: params.every, offset: params.offset)
