from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) r._value > params.min)
