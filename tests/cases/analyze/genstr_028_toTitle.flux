import "strings"

result = strings.toTitle(v: params.v)

result
