x = a |> f(t: b |> g())
