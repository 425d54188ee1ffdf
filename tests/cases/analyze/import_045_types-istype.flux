import "types"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => types.isType(v: r._value, type: params.type))
