import "strings"

x = strings.toUpper(v: params.s)
