from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
