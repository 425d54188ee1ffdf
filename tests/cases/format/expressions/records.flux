a = {}
b = {x:1}
c = {x:1, y:"s", z:true}
d = {a:1,b:2,c:3,d:4,e:5}
e = {"quoted key": 1}
f = {x, y}
