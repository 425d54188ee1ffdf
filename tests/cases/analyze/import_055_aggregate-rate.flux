import "experimental/aggregate"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> aggregate.rate(every: params.every, unit: 1s)
