r = {a: params.a, b: params.b}
total = r.a + r.b
neg = -total
