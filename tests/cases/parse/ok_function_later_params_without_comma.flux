f = (a, b c=1 d) => a + b + c + d
g = (t=<-, fn m) => t
