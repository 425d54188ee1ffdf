builtin a : (
// opt
?x: int) => int
