// deviation: shadow
// shadow-begin
total = (params) => params.a + params.b
// shadow-end

from(bucket: params.bucket)
  |> range(start: -1h)
  |> limit(n: total(params: {a: 1, b: 2}))
