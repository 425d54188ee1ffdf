f = (x) => {
    // start
    y = x
    // before return
    return y
    // before brace
}
