import "strings"

result = strings.splitAfterN(v: params.v, t: "x", i: 1)

result
