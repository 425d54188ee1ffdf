import "bitwise"

mask = bitwise.slshift(a: 1, b: params.bit)
set = bitwise.sand(a: params.flags, b: mask) != 0
