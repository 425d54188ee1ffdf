option
// name
y = 2
