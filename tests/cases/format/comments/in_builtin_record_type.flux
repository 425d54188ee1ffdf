builtin a : {
// f
x: int,
// g
y: int}
