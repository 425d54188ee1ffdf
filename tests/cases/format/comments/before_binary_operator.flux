x = 1
// plus
+ 2
