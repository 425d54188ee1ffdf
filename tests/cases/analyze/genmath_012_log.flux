import "math"

math.log(x: params.log_x)
