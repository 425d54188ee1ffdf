import "strings"

result = strings.containsStr(v: params.v, substr: "x")

result
