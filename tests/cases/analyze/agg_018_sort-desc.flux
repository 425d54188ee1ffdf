from(bucket: params.bucket)
  |> range(start: -1h)
  |> sort(columns: ["_value"], desc: params.desc)
  |> limit(n: 10)
