f = (tables=<-, n) => ({t: tables + 1, n: n + "s"})

x = params.v |> f(n: params.v)
