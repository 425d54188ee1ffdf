import "strings"

result = strings.containsAny(v: params.v, chars: "x")

result
