from(bucket: "telegraf")
    |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
    |> aggregateWindow(every: v.windowPeriod, fn: mean)
