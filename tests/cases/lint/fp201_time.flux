x = params.t == now()
y = [params.t, now()]
