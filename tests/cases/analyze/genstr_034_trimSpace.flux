import "strings"

result = strings.trimSpace(v: params.v)

result
