f = (tables=<-, n) => tables + n

x = params.v |> f(n: 1.0)
y = params.v + 1
