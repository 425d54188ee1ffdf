data = from(bucket: params.bucket) |> range(start: -1h)

if params.raw then data else data |> aggregateWindow(every: 1m, fn: mean)
