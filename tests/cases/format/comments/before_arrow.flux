f = (x)
// arrow
=> x
