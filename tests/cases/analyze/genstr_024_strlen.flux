import "strings"

result = strings.strlen(v: params.v)

result
