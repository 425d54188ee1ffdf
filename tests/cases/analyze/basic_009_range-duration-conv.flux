from(bucket: params.bucket)
  |> range(start: duration(v: params.lookback))
  |> last()
