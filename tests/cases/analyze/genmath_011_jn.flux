import "math"

math.jn(n: params.jn_n, x: params.jn_x)
