f = params.fn

f(x: 1) + 1
