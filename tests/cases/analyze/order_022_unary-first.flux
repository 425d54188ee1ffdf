a = -params.v
b = params.v + "s"
c = params.v + 1
