a = x or y and z
b = (x or y) and z
c = x and (y or z)
d = not x and y
e = not (x or y) and z
