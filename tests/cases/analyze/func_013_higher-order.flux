apply = (f, v) => f(v: v)

apply(f: (v) => v * 2, v: params.amount)
