f = (a, b) => a + 1 + b

f(b: params.x, a: params.y)
