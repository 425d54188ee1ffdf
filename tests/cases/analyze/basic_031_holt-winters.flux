from(bucket: "metrics")
  |> range(start: -30d)
  |> aggregateWindow(every: 1d, fn: mean)
  |> holtWinters(n: params.n, interval: 1d, seasonality: params.season)
