import "bitwise"

bitwise.sor(a: params.flags, b: 4)
