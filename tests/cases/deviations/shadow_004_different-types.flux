// deviation: shadow
// A helper's parameter happens to be called params; its fields are unrelated to the invoke params.
// shadow-begin
isHot = (params) => params.limit > 30.0
// shadow-end

from(bucket: "sensors")
  |> range(start: -1h)
  |> filter(fn: (r) => isHot(params: {limit: r._value}))
  |> limit(n: params.limit)
