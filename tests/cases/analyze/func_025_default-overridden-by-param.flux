agg = (tables=<-, fn=mean, every=1m) => tables |> aggregateWindow(every: every, fn: fn)

from(bucket: "b")
  |> range(start: -1h)
  |> agg(every: params.every, fn: max)
