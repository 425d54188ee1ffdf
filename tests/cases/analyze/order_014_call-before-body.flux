x = params.v + "s"
f = () => params.v + 1
