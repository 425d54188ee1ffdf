a = () => 1
b = (x) => x + 1
c = (x, y=2) => x * y
d = (tables=<-, fn) => tables |> filter(fn)
e = (r) => ({r with x: 1})
