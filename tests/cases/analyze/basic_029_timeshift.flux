from(bucket: params.bucket)
  |> range(start: -2d, stop: -1d)
  |> timeShift(duration: params.shift)
