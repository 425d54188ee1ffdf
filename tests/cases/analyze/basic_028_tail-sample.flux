from(bucket: params.bucket)
  |> range(start: -1h)
  |> tail(n: params.tail)
  |> sample(n: params.every, pos: 0)
