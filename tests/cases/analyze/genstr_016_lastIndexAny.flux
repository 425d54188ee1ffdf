import "strings"

result = strings.lastIndexAny(v: params.v, chars: "x")

result
