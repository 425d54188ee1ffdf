from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => params.enabled and (r._value > 0 or params.includeZero))
