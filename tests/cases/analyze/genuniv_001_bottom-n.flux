from(bucket: "b")
  |> range(start: -1h)
  |> bottom(n: params.n)
