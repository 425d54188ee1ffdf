import "math"
import "strings"

a = math.abs(x: params.v)
b = strings.toUpper(v: params.v)
