from(bucket: params.bucket)
  |> range(start: -1h)
  |> tableFind(fn: (key) => key.host == params.host)
  |> getRecord(idx: 0)
