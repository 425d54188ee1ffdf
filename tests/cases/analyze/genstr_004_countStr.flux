import "strings"

result = strings.countStr(v: params.v, substr: "x")

result
