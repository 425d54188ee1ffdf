f = (a, b=params.b) => a + 1

f(a: params.a)
