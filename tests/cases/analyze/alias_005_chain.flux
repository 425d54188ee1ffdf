a = params.level
b = a
c = b * 2

c
