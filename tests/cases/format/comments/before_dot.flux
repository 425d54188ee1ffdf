x = a
// dot
.b
