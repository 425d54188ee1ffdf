import "strings"

result = strings.repeat(v: params.v, i: 1)

result
