ok = params.v > 10
x = params.v + 1
