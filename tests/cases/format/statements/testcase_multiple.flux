testcase a {
    x = 1
}

testcase b {
    y = 2
}
