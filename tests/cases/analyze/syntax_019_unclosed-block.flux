f = (x) => {
    return x + params.n

f(x: 1)
