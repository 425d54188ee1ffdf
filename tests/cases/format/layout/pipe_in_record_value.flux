x = {a: data |> filter(fn: (r) => true), b: 1}
