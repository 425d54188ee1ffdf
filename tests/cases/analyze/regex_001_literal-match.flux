from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => r.host =~ /^web-/ and r._field == params.field)
