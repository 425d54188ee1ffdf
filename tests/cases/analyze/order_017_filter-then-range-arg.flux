from(bucket: params.v)
  |> range(start: params.v)
  |> limit(n: params.v)
