from(bucket: params.bucket)
  |> range(start: -7d)
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: params.pageSize, offset: params.pageSize * params.page)
