from(bucket: params.bucket)
  |> range(start: -1h)
  |> window(every: 5m, period: params.period, createEmpty: true)
