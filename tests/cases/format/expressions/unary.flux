a = -x
b = +x
c = not true
d = exists r.x
e = - 1
f = -x.y
