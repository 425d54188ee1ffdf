builtin a : int
builtin b : int

builtin c : int
x = 1
