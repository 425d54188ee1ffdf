a = from(bucket: "b") |> range(start: -1h) |> limit(n: params.v)
b = from(bucket: "b") |> range(start: -1h) |> window(every: params.v)
