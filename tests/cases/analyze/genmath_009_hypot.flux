import "math"

math.hypot(p: params.hypot_p, q: params.hypot_q)
