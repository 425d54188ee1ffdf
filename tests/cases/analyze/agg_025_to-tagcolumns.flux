from(bucket: "raw")
  |> range(start: -10m)
  |> to(bucket: "down", tagColumns: params.tags)
