a = 1h
b = 1h30m
c = 1y2mo3w4d5h6m7s8ms9us10ns
d = -5m
e = 1µs
