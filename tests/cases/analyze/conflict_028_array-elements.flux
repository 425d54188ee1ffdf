xs = [params.first, 1.5]
n = params.first + 1
