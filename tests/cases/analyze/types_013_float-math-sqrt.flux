import "math"

from(bucket: "b")
  |> range(start: -1h)
  |> map(fn: (r) => ({r with norm: math.sqrt(x: r._value * r._value + params.bias)}))
