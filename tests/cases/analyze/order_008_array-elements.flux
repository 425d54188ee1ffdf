xs = [params.v + 1, params.v + 1.0]
