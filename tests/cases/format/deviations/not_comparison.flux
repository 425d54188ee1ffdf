x = not (a == b)
