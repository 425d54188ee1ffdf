x
// eq
= 1
