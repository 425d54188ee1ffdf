x = {r with
    // c
    a: 1}
