package main

import "array"

option now = () => 2021-01-01T00:00:00Z
builtin b : int
x = 1
f(x)
testcase t {
    y = 2
}
