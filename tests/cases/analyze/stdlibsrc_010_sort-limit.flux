from(bucket: "b")
    |> range(start: -1h)
    |> _sortLimit(n: params.n, desc: params.descending, columns: params.columns)
