from(bucket: "b")
  |> range(start: -params.lookback)
  |> aggregateWindow(every: params.lookback, fn: mean)
