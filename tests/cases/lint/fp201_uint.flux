x = params.u + uint(v: 1)
