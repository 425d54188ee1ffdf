import "math"

math.y0(x: params.y0_x)
