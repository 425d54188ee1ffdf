from(bucket: "b")
  |> range(start: -1h)
  |> sort(desc: params.opt)
  |> window(every: params.opt)
