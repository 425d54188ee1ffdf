import "strings"
x = 1
