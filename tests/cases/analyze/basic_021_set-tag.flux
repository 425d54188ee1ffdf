from(bucket: params.bucket)
  |> range(start: -1h)
  |> set(key: "source", value: params.source)
