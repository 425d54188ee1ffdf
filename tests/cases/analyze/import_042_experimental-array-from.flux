import "experimental/array"

array.from(rows: [{k: params.key, v: params.val}])
