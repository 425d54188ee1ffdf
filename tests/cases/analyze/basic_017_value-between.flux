from(bucket: "sensors")
  |> range(start: -6h)
  |> filter(fn: (r) => r._measurement == "temperature")
  |> filter(fn: (r) => r._value >= params.low and r._value <= params.high)
