builtin d : [string: int]
builtin y : dynamic
builtin v : vector[int]
builtin l : (?x: A = .foo) => A
