r.x = 1
