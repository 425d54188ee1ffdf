x = params.v * "s"
y = "s" * params.w
