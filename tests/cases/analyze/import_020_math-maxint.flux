import "math"

limit = if params.unlimited then math.maxint else params.max

from(bucket: "b") |> range(start: -1h) |> limit(n: limit)
