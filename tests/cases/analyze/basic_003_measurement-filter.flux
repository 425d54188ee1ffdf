from(bucket: "telegraf")
  |> range(start: -24h)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> filter(fn: (r) => r._field == params.field)
