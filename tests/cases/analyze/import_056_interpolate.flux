import "interpolate"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._field == "temp")
  |> toFloat()
  |> interpolate.linear(every: params.every)
