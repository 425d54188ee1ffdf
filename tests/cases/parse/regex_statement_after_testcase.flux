testcase t {
    x = 1
}
/abc/
