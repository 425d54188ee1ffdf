from(bucket: params.bucket)
  |> range(start: -1h)
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> covariance(columns: [params.x, params.y], pearsonr: true)
