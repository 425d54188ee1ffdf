r = {b: params.v + "s", a: params.v + 1}
