from(bucket: "b")
  |> range(start: -1h)
  |> set(key: "note", value: "use params.limit to change this")
  |> limit(n: params.limit)
