import "strings"

result = strings.splitN(v: params.v, t: "x", i: 1)

result
