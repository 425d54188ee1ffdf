from(bucket: "b")
  |> range(start: -1h)
  |> top(n: params.n)
