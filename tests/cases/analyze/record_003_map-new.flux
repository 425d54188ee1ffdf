from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({_time: r._time, _value: float(v: r._value) * params.multiplier, host: r.host}))
