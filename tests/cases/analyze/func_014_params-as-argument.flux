sumAB = (p) => p.a + p.b

sumAB(p: params)
