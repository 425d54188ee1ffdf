p = params
x = p.count + 1

from(bucket: params.bucket) |> range(start: -1h) |> limit(n: x)
