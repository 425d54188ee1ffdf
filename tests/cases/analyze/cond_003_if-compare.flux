every = if params.span > 24 then 1h else 5m

from(bucket: "b") |> range(start: -7d) |> aggregateWindow(every: every, fn: mean)
