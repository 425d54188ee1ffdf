import "date"

every = date.scale(d: 1h, n: params.hours)

from(bucket: "b") |> range(start: -7d) |> aggregateWindow(every: every, fn: mean)
