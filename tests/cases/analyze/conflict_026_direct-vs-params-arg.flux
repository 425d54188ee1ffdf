b = params.n + "x"
f = (p) => p.n + 1
a = f(p: params)
