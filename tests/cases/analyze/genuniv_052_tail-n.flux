from(bucket: "b")
  |> range(start: -1h)
  |> tail(n: params.n)
