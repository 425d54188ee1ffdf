scale = (v, factor=10.0) => v * factor

scale(v: 1.0, factor: params.factor)
