import "math"
import "strings"

b = strings.toUpper(v: params.v)
a = math.abs(x: params.v)
