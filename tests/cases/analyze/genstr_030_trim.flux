import "strings"

result = strings.trim(v: params.v, cutset: "x")

result
