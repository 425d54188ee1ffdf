import "date"

stop = date.add(d: params.span, to: params.from)

from(bucket: "b") |> range(start: params.from, stop: stop)
