x = params.v + uint(v: 2)
y = uint(v: 2) + params.w
