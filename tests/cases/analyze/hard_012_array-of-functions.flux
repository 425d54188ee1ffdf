fs = [(x) => x + params.a, (x) => x * 2]

fs[0](x: 1)
