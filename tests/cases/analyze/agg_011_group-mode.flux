from(bucket: params.bucket)
  |> range(start: -1h)
  |> group(columns: ["host"], mode: params.mode)
