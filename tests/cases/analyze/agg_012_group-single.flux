from(bucket: params.bucket)
  |> range(start: -1h)
  |> group(columns: [params.tag])
  |> count()
