builtin a : [string
// colon
: int]
