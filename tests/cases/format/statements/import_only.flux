import "strings"
