import "math"

math.sincos(x: params.sincos_x)
