import "date"
import "date/boundaries"

m = boundaries.month(month_offset: params.monthOffset)

from(bucket: params.bucket)
  |> range(start: m.start, stop: m.stop)
  |> filter(fn: (r) => r._measurement == "sales")
  |> group(columns: ["region"])
  |> sum()
  |> map(fn: (r) => ({r with month: date.month(t: m.start), target: params.target, hit: r._value >= params.target}))
