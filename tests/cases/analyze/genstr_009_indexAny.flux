import "strings"

result = strings.indexAny(v: params.v, chars: "x")

result
