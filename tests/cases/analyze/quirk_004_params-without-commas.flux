f = (a, b c=1) => a + b + c
x = f(a: params.x, b: params.y)
s = params.y + 1.5
