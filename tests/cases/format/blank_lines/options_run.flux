option a = 1
option b = 2
x = 3
