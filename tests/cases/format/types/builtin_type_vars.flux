builtin a : (v: A) => A where A: Numeric
builtin b : (v: T) => T
