msg = "v=${params.v}"
x = params.v + 1
y = params.v + "s"
