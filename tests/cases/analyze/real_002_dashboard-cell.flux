// A dashboard cell: one series per host, windowed by the dashboard's period.
from(bucket: params.bucket)
  |> range(start: params.timeRangeStart, stop: params.timeRangeStop)
  |> filter(fn: (r) => r["_measurement"] == "system")
  |> filter(fn: (r) => r["_field"] == "load1" or r["_field"] == "load5" or r["_field"] == "load15")
  |> filter(fn: (r) => r["host"] == params.host)
  |> aggregateWindow(every: params.windowPeriod, fn: mean, createEmpty: false)
  |> yield(name: "mean")
