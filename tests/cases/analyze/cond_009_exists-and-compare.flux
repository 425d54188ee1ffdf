from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => exists r.region and r.region == params.region)
