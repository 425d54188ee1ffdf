import "math"

math.cbrt(x: params.cbrt_x)
