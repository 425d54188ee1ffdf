import "date"

isWorkday = (t) => date.weekDay(t: t) >= 1 and date.weekDay(t: t) <= 5

from(bucket: params.bucket)
  |> range(start: -14d)
  |> filter(fn: (r) => isWorkday(t: r._time))
  |> filter(fn: (r) => date.hour(t: r._time, location: {zone: params.zone, offset: 0h}) == 9)
  |> mean()
