import "bitwise"

bitwise.ulshift(a: params.value, b: params.shift)
