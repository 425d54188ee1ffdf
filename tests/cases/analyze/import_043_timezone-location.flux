import "timezone"

loc = timezone.location(name: params.zone)

from(bucket: "b") |> range(start: -1d) |> aggregateWindow(every: 1h, fn: mean, location: loc)
