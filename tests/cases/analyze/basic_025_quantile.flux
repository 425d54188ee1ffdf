from(bucket: "metrics")
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == params.m)
  |> quantile(q: params.q, method: "estimate_tdigest")
