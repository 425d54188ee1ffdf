x = params.v * 1h
y = 1h * params.w
