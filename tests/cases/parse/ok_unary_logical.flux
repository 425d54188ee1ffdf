a = not true
b = exists r.x
c = -1
d = +1
e = not exists r.x
f = - -1
