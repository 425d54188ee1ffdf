import "strings"

result = strings.equalFold(v: params.v, t: "x")

result
