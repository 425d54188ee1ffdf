from(bucket: "b")
  |> range(start: -1h)
  |> limit(n: params.x)
  |> set(key: "k", value: params.x)
