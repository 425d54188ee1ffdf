import "math"

math.pow(x: params.base, y: 2.0)
