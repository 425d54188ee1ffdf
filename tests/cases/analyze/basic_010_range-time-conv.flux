from(bucket: params.bucket)
  |> range(start: time(v: params.from), stop: time(v: params.to))
  |> count()
