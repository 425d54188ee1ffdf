// leading comment
x = 1 // trailing
// x = / not a regex
y = 2
