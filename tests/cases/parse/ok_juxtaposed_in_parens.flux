x = (a b)
y = (1 2 3)
z = {a: 1 2}
w = arr[1 2]
f(a: 1 2)
