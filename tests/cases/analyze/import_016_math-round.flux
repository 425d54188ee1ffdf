import "math"

from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with _value: math.round(x: r._value * params.scale)}))
