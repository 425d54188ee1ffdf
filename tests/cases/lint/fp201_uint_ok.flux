x = uint(v: params.u) + uint(v: 1)
