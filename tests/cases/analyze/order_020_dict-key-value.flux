d = [params.v: params.v + 1]
