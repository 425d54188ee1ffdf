f = (tables=<-) => tables
    // only a
    |> filter(fn: (r) => r.a)
