x = params.v and params.v + 1 > 0
