from(bucket: "metrics")
  |> range(start: -1h)
  |> filter(fn: (r) => r._field == "used_percent")
  |> filter(fn: (r) => r._value > params.threshold * 1.5)
