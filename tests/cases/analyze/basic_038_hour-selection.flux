from(bucket: params.bucket)
  |> range(start: -7d)
  |> hourSelection(start: params.startHour, stop: params.stopHour)
