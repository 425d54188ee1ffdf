import "strings"

result = strings.split(v: params.v, t: "x")

result
