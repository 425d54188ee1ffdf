import "math"

math.cos(x: params.cos_x)
