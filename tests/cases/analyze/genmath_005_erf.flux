import "math"

math.erf(x: params.erf_x)
