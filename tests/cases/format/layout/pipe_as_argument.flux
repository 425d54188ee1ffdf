x = union(tables: [a |> filter(fn: (r) => true), b
    |> filter(fn: (r) => false)])
