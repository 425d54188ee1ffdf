import "math"

math.expm1(x: params.expm1_x)
