f = (a, b=params.def) => a + b

f(a: 1)
