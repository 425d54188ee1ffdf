a = exists r.x and not exists r.y
b = not exists r.x
