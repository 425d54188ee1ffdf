import "influxdata/influxdb/schema"

from(bucket: params.bucket)
  |> range(start: -1d)
  |> filter(fn: (r) => r._measurement == "weather" and r.station == params.station)
  |> aggregateWindow(every: 1h, fn: mean)
  |> schema.fieldsAsCols()
  |> map(fn: (r) => ({r with heatIndex: r.temperature + 0.5 * r.humidity * params.coefficient}))
  |> keep(columns: ["_time", "temperature", "humidity", "heatIndex"])
  |> sort(columns: ["_time"], desc: params.newestFirst)
  |> limit(n: params.rows)
