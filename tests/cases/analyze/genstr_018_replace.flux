import "strings"

result = strings.replace(v: params.v, t: "x", u: "x", i: 1)

result
