from(bucket: params.bucket)
  |> range(start: -1h)
  |> increase()
  |> map(fn: (r) => ({r with _value: r._value / params.scale}))
