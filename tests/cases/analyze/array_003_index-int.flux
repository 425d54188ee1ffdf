xs = [10, 20, 30]

xs[params.i]
