window = (tables=<-, every=params.every) => tables |> aggregateWindow(every: every, fn: mean)

from(bucket: "b")
  |> range(start: -1h)
  |> window()
