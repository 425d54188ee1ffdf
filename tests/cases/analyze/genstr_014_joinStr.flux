import "strings"

result = strings.joinStr(arr: params.arr, v: "x")

result
