import "math"

int(v: math.floor(x: params.value))
