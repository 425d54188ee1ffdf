from(bucket: params.db.name)
  |> range(start: -1h)
  |> filter(fn: (r) => r.host == params.host)
