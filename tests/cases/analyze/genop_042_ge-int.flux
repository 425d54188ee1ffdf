x = params.v >= 2
y = 2 >= params.w
