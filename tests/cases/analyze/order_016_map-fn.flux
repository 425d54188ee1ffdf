from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with a: params.v * 2.0}))
  |> limit(n: params.v)
