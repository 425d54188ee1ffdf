import "strings"

result = strings.title(v: params.v)

result
