ids = [uint(v: 1), params.id]

ids
