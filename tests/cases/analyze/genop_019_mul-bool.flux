x = params.v * true
y = true * params.w
