id = (x) => x
a = id(x: params.a)
b = [a, params.b]
