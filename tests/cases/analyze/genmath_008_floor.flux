import "math"

math.floor(x: params.floor_x)
