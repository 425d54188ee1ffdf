x = 1 // a
y = 2 // b
z = 3 // c
