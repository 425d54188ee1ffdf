x = {f() with a: 1}
