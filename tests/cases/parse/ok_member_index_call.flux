a = r.x
b = r["x y"]
c = arr[0]
d = f()
e = f(a: 1, b: 2)
g = f(a, b)
h = a.b.c(d: 1)[0]["k"].e()
