x = [
    // one
    1,
    2,
    // before bracket
]
