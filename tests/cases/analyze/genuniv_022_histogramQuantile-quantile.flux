from(bucket: "b")
  |> range(start: -1h)
  |> histogramQuantile(quantile: params.quantile)
