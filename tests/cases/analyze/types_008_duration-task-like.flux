every = params.every
shifted = from(bucket: "b") |> range(start: -1d) |> timeShift(duration: every)
windowed = from(bucket: "b") |> range(start: -1d) |> aggregateWindow(every: every, fn: sum)
