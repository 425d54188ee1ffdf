package foo
// after package
import "strings"
