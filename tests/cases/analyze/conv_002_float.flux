f = float(v: params.ratio) * 100.0

f
