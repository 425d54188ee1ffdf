import "date"

rate = (t) => if date.hour(t: t) >= params.peakStart and date.hour(t: t) < params.peakEnd then params.peakPrice else params.offPeakPrice

from(bucket: params.bucket)
  |> range(start: -1d)
  |> filter(fn: (r) => r._measurement == "power" and r._field == "kwh")
  |> aggregateWindow(every: 1h, fn: sum)
  |> map(fn: (r) => ({r with cost: r._value * rate(t: r._time)}))
  |> sum(column: "cost")
