x = params.from + params.to
y = params.range + 1
