import "strings"

strings.repeat(v: "-", i: params.width)
