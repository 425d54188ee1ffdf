from(bucket: "b")
  |> range(start: -1h)
  |> reduce(fn: (r, accumulator) => ({total: accumulator.total + params.step}), identity: {total: 0})
