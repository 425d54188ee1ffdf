x = {r with
    a: 1,
    b: 2
}
