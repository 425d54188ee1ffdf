x = params.n + 1
y = params.s + "a"
z = params.n + params.s
