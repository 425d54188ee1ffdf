x = 1
// opt
option y = 2
