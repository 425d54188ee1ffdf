from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => exists params.opts.host and r.host == params.opts.host)
