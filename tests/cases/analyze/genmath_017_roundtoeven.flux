import "math"

math.roundtoeven(x: params.roundtoeven_x)
