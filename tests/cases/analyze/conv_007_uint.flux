u = uint(v: params.id)

u
