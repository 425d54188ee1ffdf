x = (params.v + 1) * 2 == (params.v + "s")
