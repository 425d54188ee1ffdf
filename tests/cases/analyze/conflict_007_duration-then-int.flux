from(bucket: "b")
  |> range(start: -1h)
  |> aggregateWindow(every: params.every, fn: mean)
  |> limit(n: params.every)
