from(bucket: "b")
    |> range(start: -1h)
    |> aggregateWindow(every: duration(v: params.every), fn: mean)
