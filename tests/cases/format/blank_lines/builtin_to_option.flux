builtin a : int
option b = 1
