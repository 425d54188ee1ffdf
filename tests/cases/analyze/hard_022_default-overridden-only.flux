f = (a, b=params.def) => a + b

f(a: 1.5, b: 2.5)
