from(bucket: params.bucket)
  |> range(start: params.start)
  |> aggregateWindow(every: 1h, fn: count, createEmpty: params.createEmpty)
  |> fill(value: 0)
