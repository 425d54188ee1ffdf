import "a"
// about b
import "b"

x = 1
