f = (a=params.v) => a + "s"
x = params.v + 1
