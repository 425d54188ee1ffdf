option foo.bar = 1
option a.b = {x: 1}
