from(bucket: "b")
  |> range(start: -1h)
  |> covariance(pearsonr: params.pearsonr, columns: ["_value"])
