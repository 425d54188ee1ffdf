from(bucket: "net")
  |> range(start: -1h)
  |> filter(fn: (r) => r._field == "bytes_recv")
  |> derivative(unit: params.unit, nonNegative: params.nonNegative)
