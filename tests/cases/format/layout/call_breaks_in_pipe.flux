data |> aggregateWindow(every: 1m, fn: mean, createEmpty: false, column: "_value", timeSrc: "_stop")
