from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with description: "${r.host} over ${params.threshold}"}))
