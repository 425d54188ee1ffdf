mkRange = (d) => ({start: -d, stop: now()})

rng = mkRange(d: params.span)

from(bucket: "b") |> range(start: rng.start, stop: rng.stop)
