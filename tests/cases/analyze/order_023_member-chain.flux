a = params.v.x
b = params.v + 1
