from(bucket: "servers")
  |> range(start: -30m)
  |> filter(fn: (r) => contains(value: params.host, set: ["a", "b", "c"]))
