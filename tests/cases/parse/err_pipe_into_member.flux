x = a |> b().c
