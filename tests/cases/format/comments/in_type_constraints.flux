builtin a : (x: A, y: B) => A where
// A
A: Addable,
// B
B: Numeric
