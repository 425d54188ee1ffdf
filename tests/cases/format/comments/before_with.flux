x = {r
// with
with a: 1}
