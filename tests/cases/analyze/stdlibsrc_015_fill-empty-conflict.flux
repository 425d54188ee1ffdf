from(bucket: "b")
    |> range(start: -1h)
    |> _fillEmpty(createEmpty: params.c)
    |> limit(n: params.c)
