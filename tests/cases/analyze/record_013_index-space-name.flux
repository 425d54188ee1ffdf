from(bucket: "b")
  |> range(start: -1h)
  |> limit(n: params["row limit"])
