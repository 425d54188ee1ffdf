params.data
  |> range(start: -1h)
  |> filter(fn: (r) => r._value > 0)
