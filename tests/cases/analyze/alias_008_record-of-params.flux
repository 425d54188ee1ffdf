cfg = {bucket: params.bucket, every: params.every, n: params.n}

from(bucket: cfg.bucket)
  |> range(start: -1h)
  |> aggregateWindow(every: cfg.every, fn: sum)
  |> limit(n: cfg.n)
