from(bucket: "latency")
  |> range(start: -1h)
  |> histogram(bins: params.bins, normalize: true)
