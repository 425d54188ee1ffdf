f = () => {
    x = 1


    y = 2
    g(x)
    return y
}
