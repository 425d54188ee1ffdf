f = () => params.v + 1
x = params.v + "s"
y = f()
