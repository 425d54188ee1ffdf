inc = (x) => x + 1

inc(x: params.n)
