@deprecated
builtin a : int
