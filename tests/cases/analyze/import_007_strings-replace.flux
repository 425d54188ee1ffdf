import "strings"

strings.replace(v: params.text, t: params.old, u: params.new, i: params.count)
