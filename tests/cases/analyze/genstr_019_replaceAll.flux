import "strings"

result = strings.replaceAll(v: params.v, t: "x", u: "x")

result
