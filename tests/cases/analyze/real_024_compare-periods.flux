now1 = from(bucket: params.bucket)
  |> range(start: -params.period)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> sum()
  |> set(key: "period", value: "current")

before = from(bucket: params.bucket)
  |> range(start: -params.period, stop: 0s)
  |> timeShift(duration: params.shift)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> sum()
  |> set(key: "period", value: "previous")

union(tables: [now1, before])
