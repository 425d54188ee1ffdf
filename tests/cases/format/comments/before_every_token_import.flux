// 1
import
// 2
s
// 3
"strings"
