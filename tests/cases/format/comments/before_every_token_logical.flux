x =
// 1
a
// 2
or
// 3
not
// 4
b
