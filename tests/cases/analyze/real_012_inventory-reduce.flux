from(bucket: params.bucket)
  |> range(start: -30d)
  |> filter(fn: (r) => r._measurement == "stock" and r.warehouse == params.warehouse)
  |> reduce(
      identity: {count: 0, total: 0.0, min: params.ceiling},
      fn: (r, accumulator) => ({
          count: accumulator.count + 1,
          total: accumulator.total + r._value,
          min: if r._value < accumulator.min then r._value else accumulator.min,
      }),
  )
