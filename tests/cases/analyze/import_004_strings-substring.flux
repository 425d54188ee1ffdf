import "strings"

strings.substring(v: params.s, start: params.from, end: params.from + params.len)
