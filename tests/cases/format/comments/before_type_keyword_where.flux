builtin a : (x: A) => A
// constraint
where A: Addable
