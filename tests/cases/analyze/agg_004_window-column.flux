from(bucket: "metrics")
  |> range(start: -1h)
  |> aggregateWindow(every: 1m, fn: sum, column: params.column)
