x = // i
y
