from(bucket: params.bucket)
  |> range(start: -1h)
  |> top(n: params.n, columns: ["_value"])
