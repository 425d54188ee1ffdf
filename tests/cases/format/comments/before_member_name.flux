x = a.
// name
b
