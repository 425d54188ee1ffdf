from(bucket: params.bucket)
  |> range(start: -1h)
  |> map(fn: (r) => ({r with _value: r._value * params.factor + params.offset}))
