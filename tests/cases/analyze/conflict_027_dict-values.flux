d = ["a": params.v, "b": 2]
s = params.v + "x"
