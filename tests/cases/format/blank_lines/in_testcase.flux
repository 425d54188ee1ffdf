testcase t {
    x = 1

    y = 2
    f(x)
}
