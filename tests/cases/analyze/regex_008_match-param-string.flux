import "regexp"

regexp.matchRegexpString(r: /x+/, v: params.s)
