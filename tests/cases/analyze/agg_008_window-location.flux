import "timezone"

from(bucket: params.bucket)
  |> range(start: -30d)
  |> aggregateWindow(every: 1d, fn: sum, location: timezone.location(name: params.tz))
