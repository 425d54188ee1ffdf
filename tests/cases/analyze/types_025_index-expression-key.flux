key = "bucket"
x = params[key]
