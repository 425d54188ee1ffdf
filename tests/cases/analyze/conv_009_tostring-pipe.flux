from(bucket: params.bucket)
  |> range(start: -1h)
  |> toString()
  |> filter(fn: (r) => r._value == params.match)
