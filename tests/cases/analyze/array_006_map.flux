import "array"

xs = [1, 2, 3]

array.map(arr: xs, fn: (x) => x * params.factor)
