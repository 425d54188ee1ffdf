x =
// 1
-
// 2
a
y =
// 3
exists
// 4
r.a
