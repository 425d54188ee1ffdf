x = params.v % 2.0
y = 2.0 % params.w
