package foo
import "strings"
import s "strings"
import "experimental/array"
x = 1
