import "strings"

result = strings.index(v: params.v, substr: "x")

result
