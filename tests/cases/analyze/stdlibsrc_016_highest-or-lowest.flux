from(bucket: "b")
    |> range(start: -1h)
    |> _highestOrLowest(
        n: params.n,
        column: params.column,
        groupColumns: params.groups,
        _sortLimit: _sortLimit,
        reducer: (tables=<-) => tables |> max(column: "_value"),
    )
