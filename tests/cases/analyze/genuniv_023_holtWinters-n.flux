from(bucket: "b")
  |> range(start: -1h)
  |> holtWinters(n: params.n, interval: 1m)
