limit = params.n + 0

limit
