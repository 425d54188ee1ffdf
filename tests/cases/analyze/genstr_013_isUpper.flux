import "strings"

result = strings.isUpper(v: params.v)

result
