import "strings"

result = strings.splitAfter(v: params.v, t: "x")

result
