f(
    // first
    a: 1,
    // second
    b: 2,
)
