import "influxdata/influxdb/sample"

sample.data(set: params.set)
  |> limit(n: params.n)
