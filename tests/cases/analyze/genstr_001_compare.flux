import "strings"

result = strings.compare(v: params.v, t: "x")

result
