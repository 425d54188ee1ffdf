threshold = params.t
above = (v) => v > threshold
below = (v) => v < threshold

above(v: 1) and below(v: 2)
