import "math"

math.erfinv(x: params.erfinv_x)
