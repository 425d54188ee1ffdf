import "timezone"

option location = timezone.location(name: "Europe/Berlin")

from(bucket: params.bucket)
  |> range(start: -7d)
  |> aggregateWindow(every: 1d, fn: mean)
