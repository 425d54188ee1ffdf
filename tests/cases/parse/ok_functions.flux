f = () => 1
g = (a, b=2) => a + b
h = (tables=<-, fn) => tables |> map(fn)
i = (r) => ({r with x: 1})
j = (r) => {
  y = r + 1
  return y
}
k = (r) => {}
