from(bucket: "b")
  |> range(start: -1h)
  |> kaufmansER(n: params.n)
