d = duration(v: params.every)

from(bucket: "b") |> range(start: -1h) |> aggregateWindow(every: d, fn: mean)
