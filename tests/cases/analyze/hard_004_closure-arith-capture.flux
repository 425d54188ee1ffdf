k = params.k
scale = (v) => v * k

scale(v: 3)
