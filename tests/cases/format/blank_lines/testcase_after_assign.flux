x = 1
testcase t {
    y = 2
}
z = 3
