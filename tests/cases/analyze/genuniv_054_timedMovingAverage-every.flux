from(bucket: "b")
  |> range(start: -1h)
  |> timedMovingAverage(every: params.every, period: 1m)
