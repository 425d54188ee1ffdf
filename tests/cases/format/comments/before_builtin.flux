// declares a
builtin a : int
