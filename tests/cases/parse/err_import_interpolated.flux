import "a${b}"
