x = a.b.c.d
y = a["b"].c["d"]
