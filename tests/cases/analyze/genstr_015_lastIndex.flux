import "strings"

result = strings.lastIndex(v: params.v, substr: "x")

result
