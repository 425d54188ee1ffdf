from(bucket: "b")
  |> range(start: -1h)
  |> join(method: params.method)
