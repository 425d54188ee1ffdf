import "math"

math.log2(x: params.log2_x)
