x = 1.a
y = .5.a
