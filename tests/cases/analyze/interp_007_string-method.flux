import "strings"

x = strings.toUpper(v: "${params.name}")
