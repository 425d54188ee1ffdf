ops = {add: (a, b) => a + b, neg: (a) => -a}

ops.add(a: params.x, b: 2.5)
