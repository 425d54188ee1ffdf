m = params.measurement
label = m + "_agg"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == m)
  |> set(key: "label", value: label)
