from(bucket: params.source)
  |> range(start: -1h)
  |> aggregateWindow(every: 1m, fn: mean)
  |> to(bucket: params.destination, org: params.org)
