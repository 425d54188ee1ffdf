from(bucket: params.bucket)
  |> range(start: -1h)
  |> difference(nonNegative: params.nonNegative, keepFirst: false)
