x = exists params.v
y = params.v + "s"
z = params.v + 1
