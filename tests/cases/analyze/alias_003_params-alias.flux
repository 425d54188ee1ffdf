p = params

from(bucket: p.bucket)
  |> range(start: -1h)
  |> limit(n: p.n)
