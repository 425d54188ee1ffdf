a = f()
b = f(x:1)
c = f(a:1,b:2,c:3,d:4)
d = strings.toUpper(v:"a")
