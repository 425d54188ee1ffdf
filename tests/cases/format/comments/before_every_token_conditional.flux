x =
// 1
if
// 2
a
// 3
then
// 4
b
// 5
else
// 6
c
