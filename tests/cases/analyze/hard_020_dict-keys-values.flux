d = [params.k1: params.v1, params.k2: params.v2]

d
