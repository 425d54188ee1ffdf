import "date"

start = date.truncate(t: params.t, unit: 1d)

from(bucket: "b") |> range(start: start)
