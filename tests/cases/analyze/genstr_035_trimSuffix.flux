import "strings"

result = strings.trimSuffix(v: params.v, suffix: "x")

result
