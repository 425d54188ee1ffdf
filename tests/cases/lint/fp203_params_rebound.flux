params = {a: 1}
x = params.a
