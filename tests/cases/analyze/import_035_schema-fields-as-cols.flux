import "influxdata/influxdb/schema"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> schema.fieldsAsCols()
