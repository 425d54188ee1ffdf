import "math"

math.acosh(x: params.acosh_x)
