import "bitwise"

x = bitwise.uor(a: params.u, b: uint(v: 1))
big = params.u > uint(v: 100)
