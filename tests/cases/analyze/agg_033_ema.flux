from(bucket: params.bucket)
  |> range(start: -1d)
  |> exponentialMovingAverage(n: params.n)
