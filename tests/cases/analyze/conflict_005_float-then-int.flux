a = params.v * 2.0
b = params.v * 2
