import "strings"

result = strings.trimPrefix(v: params.v, prefix: "x")

result
