p = {a: 1}
x = p.a + params.b
