f = (x) => x + 1
g = (v) => v + "s"

a = f(x: params.n)
b = g(v: params.n)
