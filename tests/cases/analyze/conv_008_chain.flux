int(v: float(v: params.x))
