cap = (tables=<-, n) => tables |> limit(n: n)

from(bucket: params.v)
  |> range(start: -1h)
  |> cap(n: params.v)
