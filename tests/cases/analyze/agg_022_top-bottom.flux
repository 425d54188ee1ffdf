data = from(bucket: params.bucket)
  |> range(start: -1h)

data |> top(n: params.k) |> yield(name: "top")
data |> bottom(n: params.k) |> yield(name: "bottom")
