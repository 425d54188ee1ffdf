from(bucket: "alerts")
  |> range(start: -1h)
  |> stateCount(fn: (r) => r._value > params.limit, column: "crit_count")
