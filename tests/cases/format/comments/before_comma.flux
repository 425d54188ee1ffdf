f(a: 1
// comma
, b: 2)
