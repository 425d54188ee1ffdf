from(bucket: params.bucket)
  |> range(start: -1h)
  |> map(fn: (r) => ({r with unit: params.unit, _value: r._value * params.factor}))
