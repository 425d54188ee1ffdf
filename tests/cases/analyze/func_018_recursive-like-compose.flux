compose = (f, g) => (x) => f(x: g(x: x))
addOne = (x) => x + 1
twice = (x) => x * 2
h = compose(f: addOne, g: twice)

h(x: params.seed)
