// leading
x = 1
