f = (p) => p.n * 2

x = f(p: params)
y = params.name + "x"
