import "math"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => math.abs(x: r._value) > params.tolerance)
