x =
// value
1
