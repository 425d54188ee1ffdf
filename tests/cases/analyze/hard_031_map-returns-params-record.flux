from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => params.template)
