import "experimental/array"

array.toInt(arr: params.values)
