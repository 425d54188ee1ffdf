import "strings"

parts = strings.split(v: params.csvHosts, t: ",")

strings.joinStr(arr: parts, v: params.sep)
