import "math"

math.modf(f: params.modf_f)
