mode = if params.a then "a" else if params.b then "b" else "c"

mode
