a = params.r.x + 1
b = params.r.x + "y"
