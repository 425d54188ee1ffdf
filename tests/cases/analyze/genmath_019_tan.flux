import "math"

math.tan(x: params.tan_x)
