import "strings"

result = strings.hasPrefix(v: params.v, prefix: "x")

result
