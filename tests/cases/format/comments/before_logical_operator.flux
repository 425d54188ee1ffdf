x = a
// and
and b
