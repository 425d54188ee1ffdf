cfg = (p) => ({bucket: p.bucket, limit: p.limit + 0})

c = cfg(p: params)

from(bucket: c.bucket)
  |> range(start: -1h)
  |> limit(n: c.limit)
