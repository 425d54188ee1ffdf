xs = [1, 2, 3]
a = xs[params.v]
b = params.v + "s"
