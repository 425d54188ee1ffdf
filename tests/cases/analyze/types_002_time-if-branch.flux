start = if params.useNow then now() else params.start

from(bucket: "b") |> range(start: start)
