from(bucket: "b")
  |> range(start: -1h)
  |> reduce(fn: (r, accumulator) => ({accumulator with max: if r._value > accumulator.max then r._value else accumulator.max}), identity: {max: params.floor})
