from(bucket: params.bucket)
  |> range(start: -1d)
  |> timedMovingAverage(every: params.every, period: params.period)
