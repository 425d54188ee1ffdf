from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => exists params.region)
