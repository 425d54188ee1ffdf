a = r.x
b = r["x y"]
c = arr[0]
d = arr[i+1].y
e = f().x[2]
