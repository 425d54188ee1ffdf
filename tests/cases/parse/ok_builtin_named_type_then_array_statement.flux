builtin x : foo[int]
