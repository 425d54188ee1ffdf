import "math"

math.atan(x: params.atan_x)
