import "strings"

result = strings.toLower(v: params.v)

result
