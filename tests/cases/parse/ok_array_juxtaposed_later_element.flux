xs = [1, 2 3, 4]
ys = [params.a, (params.b) 1,]
