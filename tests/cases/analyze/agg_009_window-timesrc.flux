from(bucket: "b")
  |> range(start: -1h)
  |> aggregateWindow(every: 10m, fn: last, timeSrc: params.src, timeDst: "_time")
