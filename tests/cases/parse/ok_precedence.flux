a = not -1 == a
b = a or b and c
c = 5 * 1 ^ 5
d = -a |> f()
e = a |> f() * 2
f = 2 ^ 3 ^ 2
