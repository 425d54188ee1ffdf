x = a * -(b + c)
