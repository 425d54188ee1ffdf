import "influxdata/influxdb"

influxdb.cardinality(bucket: params.bucket, start: params.start, predicate: (r) => r._measurement == params.measurement)
  |> yield(name: "series")
