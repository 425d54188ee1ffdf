f = (p) => p.n + 1

a = f(p: params)
b = params.n + "x"
