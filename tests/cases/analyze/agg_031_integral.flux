from(bucket: params.bucket)
  |> range(start: -1h)
  |> integral(unit: params.unit, interpolate: params.interp)
