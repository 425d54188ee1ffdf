from(bucket: params.bucket)
  |> range(start: params.start, stop: params.stop)
  |> filter(fn: (r) => r._field == params.field and r._value > params.min)
  |> limit(n: params.n)
