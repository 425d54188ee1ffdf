x = a / b / c
y = 4 / 2
z = a/b
