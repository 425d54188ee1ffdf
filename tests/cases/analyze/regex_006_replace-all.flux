import "regexp"

regexp.replaceAllString(r: params.re, v: "abc", t: params.replacement)
