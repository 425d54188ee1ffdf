a = params.v + 1
b = params.v + 1.0
