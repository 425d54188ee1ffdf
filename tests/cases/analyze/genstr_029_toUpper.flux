import "strings"

result = strings.toUpper(v: params.v)

result
