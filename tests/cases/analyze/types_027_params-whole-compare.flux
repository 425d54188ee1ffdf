ok = params == {a: 1}
