import "experimental"

stop = experimental.addDuration(d: params.span, to: now())

from(bucket: "b") |> range(start: -1h, stop: stop)
