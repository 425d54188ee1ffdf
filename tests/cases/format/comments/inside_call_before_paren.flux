f(a: 1
// closing
)
