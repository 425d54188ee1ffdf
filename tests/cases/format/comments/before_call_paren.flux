x = f
// call
(a: 1)
