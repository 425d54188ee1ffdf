import "bitwise"

bitwise.uand(a: params.mask, b: uint(v: 255))
