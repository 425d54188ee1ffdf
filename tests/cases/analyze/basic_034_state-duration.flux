from(bucket: "alerts")
  |> range(start: -1h)
  |> stateDuration(fn: (r) => r.level == params.level, unit: 1s)
