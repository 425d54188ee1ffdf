from(bucket: params.bucket)
  |> range(start: -1d)
  |> filter(fn: (r) => r._measurement == "cpu")
  |> aggregateWindow(every: params.every, fn: mean, createEmpty: false)
