from(bucket: "b")
  |> range(start: -1h)
  |> duplicate(column: params.c, as: "x")
  |> limit(n: params.c, offset: params.c)
