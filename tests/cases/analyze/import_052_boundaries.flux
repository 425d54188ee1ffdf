import "date/boundaries"

week = boundaries.week(week_offset: params.weekOffset)

from(bucket: params.bucket) |> range(start: week.start, stop: week.stop)
