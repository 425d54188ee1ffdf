// a test
testcase t {
    // inside
    x = 1
}
