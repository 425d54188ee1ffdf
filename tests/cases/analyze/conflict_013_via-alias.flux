b = params.bucket
n = params.bucket

from(bucket: b) |> range(start: -1h) |> limit(n: n)
