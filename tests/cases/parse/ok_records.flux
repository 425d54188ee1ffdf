a = {}
b = {x: 1, y: "a",}
c = {x, y}
d = {r with x: 1}
e = {r with}
f = {"a b": 1, c: 2}
