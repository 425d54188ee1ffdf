x = -(data |> f())
