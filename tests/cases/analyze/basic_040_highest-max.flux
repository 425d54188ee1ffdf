from(bucket: params.bucket)
  |> range(start: -1h)
  |> highestMax(n: params.n, groupColumns: ["host"])
