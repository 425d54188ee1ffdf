a = not params.p
b = params.p * 3
