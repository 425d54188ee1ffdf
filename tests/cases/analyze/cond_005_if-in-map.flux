from(bucket: params.bucket)
  |> range(start: -1h)
  |> map(fn: (r) => ({r with level: if r._value > params.crit then "crit" else if r._value > params.warn then "warn" else "ok"}))
