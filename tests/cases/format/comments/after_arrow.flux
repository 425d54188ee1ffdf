f = (x) =>
// body
x + 1
