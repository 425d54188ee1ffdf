buckets = [params.primary, params.secondary]

query = (b) => from(bucket: b)
  |> range(start: params.start, stop: params.stop)
  |> filter(fn: (r) => r._measurement == params.measurement)

union(tables: [query(b: buckets[0]), query(b: buckets[1])])
  |> group(columns: ["_field"])
  |> aggregateWindow(every: params.every, fn: mean)
