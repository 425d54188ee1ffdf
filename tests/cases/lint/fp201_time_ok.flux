x = time(v: params.t) == now()
