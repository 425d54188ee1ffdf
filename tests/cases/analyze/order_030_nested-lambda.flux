f = (x) => (y) => x + y

g = f(x: params.v)
h = g(y: "s")
i = params.v + 1
