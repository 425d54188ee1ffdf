rec = from(bucket: params.bucket)
  |> range(start: -1h)
  |> findRecord(fn: (key) => key._measurement == params.m, idx: params.idx)

rec._value
