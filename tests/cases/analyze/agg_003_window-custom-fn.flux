from(bucket: "metrics")
  |> range(start: -1h)
  |> aggregateWindow(
      every: 5m,
      fn: (tables=<-, column) => tables |> quantile(q: params.q, column: column),
  )
