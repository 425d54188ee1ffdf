from(bucket: params.bucket)
  |> range(start: -7d)
  |> aggregateWindow(every: params.every, period: params.period, offset: params.offset, fn: max)
