f = (tables=<-) => {
    return tables
        |> filter(fn: (r) => r.x == 1)
        |> yield()
}
