total = params.base + uint(v: 10)

total
