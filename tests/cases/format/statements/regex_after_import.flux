import "strings"

/abc/ * _value
