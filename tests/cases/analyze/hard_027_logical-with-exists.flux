ok = exists params.a and params.b
