import "strings"

result = strings.isDigit(v: params.v)

result
