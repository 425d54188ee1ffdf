x = -(a * b)
