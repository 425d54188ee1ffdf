x = params["a"] + params.a
y = params["label"] + "z"
