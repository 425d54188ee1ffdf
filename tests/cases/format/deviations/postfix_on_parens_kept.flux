a = (() => 1)()
b = ((r) => r).x
c = (a |> b()).c
d = (a + b)[0]
e = (a + b)()
f = (-a) ^ b
g = a ^ -b
