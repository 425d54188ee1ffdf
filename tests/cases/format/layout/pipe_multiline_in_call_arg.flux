x = f(t: data
    |> filter(fn: (r) => true)
    |> yield())
