agg = (tables=<-, n=params.n) => tables |> limit(n: n)

from(bucket: "b") |> range(start: -1h) |> agg()
