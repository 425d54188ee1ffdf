x = a / (b * c)
