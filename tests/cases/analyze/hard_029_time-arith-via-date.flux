import "date"

stop = date.add(d: params.span, to: params.start)

from(bucket: "b") |> range(start: params.start, stop: stop) |> window(every: params.span)
