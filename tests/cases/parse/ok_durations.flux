a = 1ns
b = 1us
c = 1µs
d = 1ms + 1s + 1m + 1h + 1d + 1w + 1mo + 1y
e = 1h30m
f = 1mo5d
g = 01h
