import "math"

math.mMax(x: params.mMax_x, y: params.mMax_y)
