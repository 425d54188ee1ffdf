import "strings"

result = strings.trimLeft(v: params.v, cutset: "x")

result
