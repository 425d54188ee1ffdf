from(bucket: "latency")
  |> range(start: -1h)
  |> histogram(bins: linearBins(start: params.binStart, width: params.binWidth, count: 20))
