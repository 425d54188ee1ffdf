builtin a : (
// x
x: int) => int
