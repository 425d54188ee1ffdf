import "strings"

result = strings.hasSuffix(v: params.v, suffix: "x")

result
