x = params.a.b.c + 1

x
