x = 1
// doc for f
@deprecated
f = 2
