import "array"

array.filter(arr: params.items, fn: (x) => x > 10)
