from(bucket: params.bucket)
  |> range(start: -1h)
  |> duplicate(column: params.column, as: "copy")
