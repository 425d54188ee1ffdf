f = (tables=<-) => tables
    |> filter(fn: (r) => r.x == 1)
    |> map(fn: (r) => ({r with y: 2}))
