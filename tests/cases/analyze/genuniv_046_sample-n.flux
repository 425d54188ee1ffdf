from(bucket: "b")
  |> range(start: -1h)
  |> sample(n: params.n)
