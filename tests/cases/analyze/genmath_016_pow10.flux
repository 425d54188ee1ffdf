import "math"

math.pow10(n: params.pow10_n)
