import "strings"

result = strings.substring(v: params.v, start: 1, end: 1)

result
