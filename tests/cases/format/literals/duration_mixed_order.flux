a = 1m1h
b = 1ns1y
c = 0s
