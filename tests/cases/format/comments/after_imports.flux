import "strings"
// after imports
x = 1
