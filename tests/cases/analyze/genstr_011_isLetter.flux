import "strings"

result = strings.isLetter(v: params.v)

result
