import "regexp"

regexp.findString(r: /[0-9]+/, v: params.text)
