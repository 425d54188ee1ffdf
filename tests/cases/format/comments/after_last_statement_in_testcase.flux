testcase t {
    x = 1
    // last
}
