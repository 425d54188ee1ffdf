f(a
// colon
: 1)
