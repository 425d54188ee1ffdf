import "math"

series = from(bucket: params.bucket)
  |> range(start: -6h)
  |> filter(fn: (r) => r._measurement == params.measurement and r._field == "value")
  |> aggregateWindow(every: 1m, fn: mean, createEmpty: false)

avg = series |> mean() |> findRecord(fn: (key) => true, idx: 0)
sd = series |> stddev() |> findRecord(fn: (key) => true, idx: 0)

series
  |> map(fn: (r) => ({r with z: (r._value - avg._value) / sd._value}))
  |> filter(fn: (r) => math.abs(x: r.z) > params.sigma)
