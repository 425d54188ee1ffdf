from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with x: params.x))
