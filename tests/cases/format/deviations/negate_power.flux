x = -(a ^ b)
