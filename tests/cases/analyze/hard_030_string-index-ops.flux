import "strings"

i = strings.index(v: params.s, substr: params.sub)
rest = strings.substring(v: params.s, start: i, end: strings.strlen(v: params.s))
