builtin a : [
// elem
int]
