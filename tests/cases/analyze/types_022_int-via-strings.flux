import "strings"

strings.substring(v: "abcdef", start: params.start, end: params.end)
