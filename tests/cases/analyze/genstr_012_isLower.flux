import "strings"

result = strings.isLower(v: params.v)

result
