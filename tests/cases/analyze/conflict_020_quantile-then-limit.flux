from(bucket: "b")
  |> range(start: -1h)
  |> quantile(q: params.q)
  |> limit(n: params.q)
