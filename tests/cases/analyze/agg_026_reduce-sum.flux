from(bucket: params.bucket)
  |> range(start: -1h)
  |> reduce(
      fn: (r, accumulator) => ({sum: accumulator.sum + r._value, count: accumulator.count + 1}),
      identity: {sum: params.initial, count: 0},
  )
