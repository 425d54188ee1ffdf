builtin a : [int]
builtin b : [string:int]
builtin c : {x: int, y: string}
builtin d : {A with x: int}
builtin e : stream[{_value: float}]
builtin f : vector[int]
builtin g : dynamic
