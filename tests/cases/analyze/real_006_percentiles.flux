data = from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == "latency" and r.endpoint == params.endpoint)

p50 = data |> quantile(q: 0.5) |> set(key: "p", value: "50")
p95 = data |> quantile(q: 0.95) |> set(key: "p", value: "95")
p99 = data |> quantile(q: params.tail) |> set(key: "p", value: "tail")

union(tables: [p50, p95, p99])
  |> group(columns: ["p"])
  |> yield(name: params.resultName)
