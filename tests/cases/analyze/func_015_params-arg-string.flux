label = (p) => p.prefix + "-" + p.suffix

label(p: params)
