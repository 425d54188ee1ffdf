from(bucket: "b")
    // the range
    |> range(start: -1h)
    // the filter
    |> filter(fn: (r) => true)
