r = {a: params.v + 1, b: params.v + "s"}
