n = int(v: params.base) + params.extra

n
