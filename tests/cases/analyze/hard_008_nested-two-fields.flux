x = params.a.b + 1
y = params.a.c + "s"
