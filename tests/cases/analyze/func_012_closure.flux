makeAdder = (n) => (x) => x + n
add = makeAdder(n: params.n)

add(x: 10)
