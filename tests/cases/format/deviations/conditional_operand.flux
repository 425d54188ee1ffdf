x = (if a then 1 else 2) + 3
