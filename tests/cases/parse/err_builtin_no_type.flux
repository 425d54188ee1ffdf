builtin x
