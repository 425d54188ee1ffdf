x = params.a + 1
import "strings"
