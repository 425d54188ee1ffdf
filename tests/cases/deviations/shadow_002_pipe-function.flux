// deviation: shadow
// shadow-begin
cap = (tables=<-, params) => tables |> limit(n: params.n)
// shadow-end

from(bucket: params.bucket)
  |> range(start: params.start)
  |> cap(params: {n: 10})
