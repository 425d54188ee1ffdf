n = if params.verbose then 100 else 10

from(bucket: "b") |> range(start: -1h) |> limit(n: n)
