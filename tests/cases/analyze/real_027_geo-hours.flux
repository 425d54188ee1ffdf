option location = {zone: "UTC", offset: 0h}

from(bucket: params.bucket)
  |> range(start: -30d)
  |> filter(fn: (r) => r._measurement == "trips" and r.city == params.city)
  |> hourSelection(start: params.fromHour, stop: params.toHour)
  |> aggregateWindow(every: 1d, fn: count)
