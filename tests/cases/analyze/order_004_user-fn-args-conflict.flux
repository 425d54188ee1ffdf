f = (a, b) => ({x: a + 1, y: b + "s"})

f(b: params.v, a: params.v)
