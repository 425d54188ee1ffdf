from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with a: params.k + 1, b: params.k + "x"}))
