xs = [params.a, params.b 1]
n = params.a + 1
