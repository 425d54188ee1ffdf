x = 1
y = 2
f(x)
g(y)
option z = 3
w = 4
