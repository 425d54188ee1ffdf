x = a |> b
