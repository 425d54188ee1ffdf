x = params["a\"b"] + 1
