import "date"

from(bucket: "b")
  |> range(start: -7d)
  |> filter(fn: (r) => date.hour(t: r._time) >= params.openHour and date.hour(t: r._time) < params.closeHour)
