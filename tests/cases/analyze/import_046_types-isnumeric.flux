import "types"

types.isNumeric(v: params.v)
