import "date"

d = date.scale(d: params.unit, n: params.times)

from(bucket: "b") |> range(start: -1d) |> aggregateWindow(every: d, fn: mean)
