builtin x : vector
