from(bucket: params.bucket)
  |> range(start: -1h)
  |> fill(value: params.fillValue)
