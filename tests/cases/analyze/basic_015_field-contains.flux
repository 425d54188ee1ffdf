from(bucket: "servers")
  |> range(start: -30m)
  |> filter(fn: (r) => contains(value: r._field, set: params.fields))
