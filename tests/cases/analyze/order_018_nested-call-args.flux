import "strings"

x = strings.repeat(v: strings.toUpper(v: params.v), i: params.v)
