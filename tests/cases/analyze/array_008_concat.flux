import "array"

array.concat(arr: params.left, v: [1.0, 2.0])
