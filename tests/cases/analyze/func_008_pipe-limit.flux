firstN = (tables=<-, n) => tables |> limit(n: n)

from(bucket: "b")
  |> range(start: -1h)
  |> firstN(n: params.n)
