a = from(bucket: params.first) |> range(start: -1h)
b = from(bucket: params.second) |> range(start: -1h)

union(tables: [a, b])
  |> sort(columns: ["_time"])
