builtin a : (x: int)
// arrow
=> int
