f = (x) => {
y = x * 2
return y + 1
}
g = (x) => { return x }
