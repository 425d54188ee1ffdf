import "strings"

result = strings.trimRight(v: params.v, cutset: "x")

result
