n = int(v: params.limit)

from(bucket: "b") |> range(start: -1h) |> limit(n: n)
