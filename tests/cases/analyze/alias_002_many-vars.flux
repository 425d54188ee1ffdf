bucket = params.bucket
start = params.start
every = params.every
limitN = params.limit

from(bucket: bucket)
  |> range(start: start)
  |> aggregateWindow(every: every, fn: mean)
  |> limit(n: limitN)
