scale = (v, factor=10) => v * factor

scale(v: params.value)
