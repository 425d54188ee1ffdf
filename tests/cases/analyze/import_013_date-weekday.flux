import "date"

from(bucket: "b")
  |> range(start: -30d)
  |> filter(fn: (r) => date.weekDay(t: r._time) == params.day)
