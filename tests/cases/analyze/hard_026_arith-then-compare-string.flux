x = params.v + "a"
ok = params.v == 1
