x = {a, b, c}
f(a, b)
y = {r with a}
