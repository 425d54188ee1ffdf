x = a - (b + c)
