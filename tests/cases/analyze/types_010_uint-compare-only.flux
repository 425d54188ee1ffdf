u = params.id == uint(v: 5)

u
