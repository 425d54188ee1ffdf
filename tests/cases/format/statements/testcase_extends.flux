testcase t extends "flux/foo_test" {
    x = 1
}
