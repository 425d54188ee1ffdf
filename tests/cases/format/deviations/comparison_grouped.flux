x = (a == b) == c
