import "bitwise"

a = bitwise.uand(a: params.m, b: uint(v: 1))
b = bitwise.sand(a: params.m, b: 1)
