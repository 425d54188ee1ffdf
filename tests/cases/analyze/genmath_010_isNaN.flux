import "math"

math.isNaN(f: params.isNaN_f)
