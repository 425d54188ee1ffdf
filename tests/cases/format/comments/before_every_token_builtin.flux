// 1
builtin
// 2
a
// 3
:
// 4
int
