builtin x : A where A: B + C, D: E
